// The desk's part of the SQLite store: tokens, staff, case workflow state.
//
// Free functions over one open connection, called by SqliteTx inside its
// transaction (sqlite_store.cc). Desk traffic is light, so statements are
// prepared per call rather than cached.
#ifndef SUARADESA_STORAGE_SQLITE_DESK_H_
#define SUARADESA_STORAGE_SQLITE_DESK_H_

#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite.h"
#include "storage/store.h"

namespace suaradesa::storage::sqlite_desk {

Result<int64_t> CreateToken(Database& db, const Token& token);
Result<std::optional<Token>> FindToken(Database& db, const std::string& hash);
Result<std::vector<Token>> ListTokens(Database& db);
Status RevokeToken(Database& db, int64_t id, int64_t now);
Status PutStaff(Database& db, const Staff& staff);
Result<std::vector<Staff>> ListStaff(Database& db);
Result<CaseDesk> GetCaseDesk(Database& db, int64_t case_id);
Status PutCaseDesk(Database& db, const CaseDesk& desk);
Result<std::vector<DeskCase>> QueryCases(Database& db, const DeskQuery& query);
Result<std::vector<Message>> MessagesOfContact(Database& db, int64_t contact_id, int64_t since);
Result<std::string> GetMeta(Database& db, const std::string& key);

}  // namespace suaradesa::storage::sqlite_desk

#endif  // SUARADESA_STORAGE_SQLITE_DESK_H_
