// The staff audit in SQL (issue 19): one row per read of a confidential
// case, reply, export or erasure. Free functions over the store's statement
// cache, called by SqlTx (storage/sql/tx.cc).
//
// This header is internal to storage/: nothing outside it may include it.
#ifndef SUARADESA_STORAGE_SQL_AUDIT_H_
#define SUARADESA_STORAGE_SQL_AUDIT_H_

#include <vector>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_audit {

Status AddAudit(StatementCache& stmts, const AuditEntry& entry);
Result<std::vector<AuditEntry>> ListAudit(StatementCache& stmts, const AuditQuery& query);

}  // namespace suaradesa::storage::sql_audit

#endif  // SUARADESA_STORAGE_SQL_AUDIT_H_
