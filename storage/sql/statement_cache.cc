#include "storage/sql/statement_cache.h"

#include <utility>

namespace suaradesa::storage {

ScopedStatement::ScopedStatement(Entry* entry) : entry_(entry) { entry_->on_loan = true; }

ScopedStatement::ScopedStatement(ScopedStatement&& other) noexcept
    : entry_(std::exchange(other.entry_, nullptr)) {}

ScopedStatement::~ScopedStatement() {
  if (entry_ == nullptr) return;
  entry_->statement->Reset();
  entry_->on_loan = false;
}

Result<ScopedStatement> StatementCache::Get(std::string_view sql) {
  auto it = stmts_.find(sql);  // no std::string made for the lookup
  if (it == stmts_.end()) {
    Result<std::unique_ptr<Statement>> prepared = db_.Prepare(sql);
    if (!prepared) return std::unexpected(prepared.error());
    it = stmts_.emplace(std::string(sql), ScopedStatement::Entry{std::move(*prepared), false})
             .first;
  } else if (it->second.on_loan) {
    // Resetting it here would restart the holder's SELECT or drop its
    // bindings without a trace.
    return std::unexpected(
        Error::Invalid("statement is in use (already on loan from the cache): " + it->first));
  }
  it->second.statement->Reset();
  return ScopedStatement(&it->second);
}

}  // namespace suaradesa::storage
