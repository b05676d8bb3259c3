// Writing one outbound message into the SQLite store: its outbox row, its
// row in the message log (status 'queued'), the link between the two and
// the first event of its delivery timeline. Used by SqliteTx::Enqueue (a
// reply) and by the meeting notices' fan-out (sqlite_notices.cc), so both
// write exactly the same rows.
//
// Called inside the caller's transaction; uses the connection's statement
// cache (storage/statement_cache.h). Thread safety: as the cache.
#ifndef SUARADESA_STORAGE_SQLITE_OUTBOX_H_
#define SUARADESA_STORAGE_SQLITE_OUTBOX_H_

#include <string>

#include "storage/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sqlite_outbox {

// Queues `item` (state 'pending') with the message log text `text`; returns
// the outbox row's id. REQUIRES: item.contact_id, channel_id and address set.
Result<int64_t> Enqueue(StatementCache& stmts, const OutboxItem& item, const std::string& text);

}  // namespace suaradesa::storage::sqlite_outbox

#endif  // SUARADESA_STORAGE_SQLITE_OUTBOX_H_
