// The desk's part of the SQLite store: tokens, staff, case workflow state.
//
// Free functions over the store's statement cache (storage/sql/statement_cache.h),
// called by SqlTx inside its transaction (storage/sql/tx.cc), so each SQL is
// prepared once per connection. QueryCases builds its SQL from the filters
// used, so each combination of filters is one cached statement.
#ifndef SUARADESA_STORAGE_SQLITE_DESK_H_
#define SUARADESA_STORAGE_SQLITE_DESK_H_

#include <optional>
#include <string>
#include <vector>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage::sql_desk {

Result<int64_t> CreateToken(StatementCache& stmts, const Token& token);
Result<std::optional<Token>> FindToken(StatementCache& stmts, const std::string& hash);
Result<std::vector<Token>> ListTokens(StatementCache& stmts);
Status RevokeToken(StatementCache& stmts, int64_t id, int64_t now);
Status PutStaff(StatementCache& stmts, const Staff& staff);
Result<std::vector<Staff>> ListStaff(StatementCache& stmts);
Result<CaseDesk> GetCaseDesk(StatementCache& stmts, int64_t case_id);
Status PutCaseDesk(StatementCache& stmts, const CaseDesk& desk);
Result<std::vector<DeskCase>> QueryCases(StatementCache& stmts, const DeskQuery& query);
Status SetConversation(StatementCache& stmts, int64_t message_id, int64_t conversation_id);
Status LinkConversation(StatementCache& stmts, int64_t case_id, int64_t conversation_id);
Status LinkMessage(StatementCache& stmts, int64_t case_id, int64_t message_id);
Result<std::vector<Message>> CaseMessages(StatementCache& stmts, int64_t case_id);
Result<std::string> GetMeta(StatementCache& stmts, const std::string& key);

}  // namespace suaradesa::storage::sql_desk

#endif  // SUARADESA_STORAGE_SQLITE_DESK_H_
