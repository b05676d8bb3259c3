// Writing one outbound message into the SQLite store: its outbox row, its
// row in the message log (status 'queued'), the link between the two and
// the first event of its delivery timeline. Used by SqlTx::Enqueue (a
// reply) and by the meeting notices' fan-out (storage/sql/notices.cc), so both
// write exactly the same rows. Also cancels what waits for a contact who
// opted out or left a group (issue 13).
//
// Called inside the caller's transaction; uses the connection's statement
// cache (storage/sql/statement_cache.h). Thread safety: as the cache.
#ifndef SUARADESA_STORAGE_SQLITE_OUTBOX_H_
#define SUARADESA_STORAGE_SQLITE_OUTBOX_H_

#include <string>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_outbox {

// Queues `item` (state 'pending') with the message log text `text`; returns
// the outbox row's id. REQUIRES: item.contact_id, channel_id and address set.
Result<int64_t> Enqueue(StatementCache& stmts, const OutboxItem& item, const std::string& text);

// Fails one outbox row and its message (status 'failed', with a timeline
// event at `now`); message_id 0: the row has none. The caller picked a row
// that is not sent or failed yet.
Status FailRow(StatementCache& stmts, int64_t outbox_id, int64_t message_id,
               const std::string& error, int64_t now);

// See Tx::CancelWaitingBroadcasts and Tx::CancelWaitingFromGroup.
Result<int> CancelWaitingBroadcasts(StatementCache& stmts, int64_t contact_id,
                                    const std::string& error, int64_t now);
Result<int> CancelWaitingFromGroup(StatementCache& stmts, int64_t contact_id, int64_t group_id,
                                   const std::string& error, int64_t now);

}  // namespace suaradesa::storage::sql_outbox

#endif  // SUARADESA_STORAGE_SQLITE_OUTBOX_H_
