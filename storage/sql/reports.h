// The participation figures' part of the store (ReportTx, storage/tx.h):
// read-only aggregate queries, written once for SQLite and PostgreSQL.
//
// Free functions over the store's statement cache (storage/sql/statement_cache.h),
// called by SqlTx inside its transaction (storage/sql/tx.cc). Each number of
// area prefixes is one cached statement.
//
// This header is internal to storage/: nothing outside it may include it.
#ifndef SUARADESA_STORAGE_SQL_REPORTS_H_
#define SUARADESA_STORAGE_SQL_REPORTS_H_

#include <vector>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_reports {

Result<std::vector<ResidentCount>> ResidentCounts(StatementCache& stmts, const ReportScope& scope);
Result<std::vector<ProposalCount>> ProposalCounts(StatementCache& stmts, const ReportScope& scope);
Result<std::vector<ComplaintCount>> ComplaintCounts(StatementCache& stmts,
                                                    const ReportScope& scope);
Result<std::vector<AnswerTime>> AnswerTimes(StatementCache& stmts, const ReportScope& scope);
Result<std::vector<InvitationCount>> InvitationCounts(StatementCache& stmts,
                                                      const ReportScope& scope);

}  // namespace suaradesa::storage::sql_reports

#endif  // SUARADESA_STORAGE_SQL_REPORTS_H_
