// Residents' data rights in SQL (issue 19): the privacy notice record,
// access (DATA SAYA), erasure (HAPUS DATA) and retention. Free functions
// over the store's statement cache, called by SqlTx inside its transaction
// (storage/sql/tx.cc); the same SQL on SQLite and PostgreSQL.
//
// This header is internal to storage/: nothing outside it may include it.
#ifndef SUARADESA_STORAGE_SQL_RIGHTS_H_
#define SUARADESA_STORAGE_SQL_RIGHTS_H_

#include <cstdint>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_rights {

Result<bool> MarkPrivacyNoticed(StatementCache& stmts, int64_t contact_id, int64_t now);
Result<ContactData> DataOf(StatementCache& stmts, int64_t contact_id);
Result<ErasureReport> EraseContact(StatementCache& stmts, int64_t contact_id, int64_t now);
Result<RetentionReport> ApplyRetention(StatementCache& stmts, const RetentionCutoffs& cutoffs);

}  // namespace suaradesa::storage::sql_rights

#endif  // SUARADESA_STORAGE_SQL_RIGHTS_H_
