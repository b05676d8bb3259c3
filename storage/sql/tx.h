// RunTx: runs a Store::Transact or Store::Read callback against one
// connection's statements, inside a transaction the caller has begun.
//
// This header is internal to storage/: nothing outside it may include it.
#ifndef SUARADESA_STORAGE_SQL_TX_H_
#define SUARADESA_STORAGE_SQL_TX_H_

#include <functional>

#include "storage/sql/statement_cache.h"
#include "storage/store.h"

namespace suaradesa::storage {

// Calls fn with a Tx over `stmts`. Returns fn's result; if fn succeeded
// although one of its statements failed with an I/O error (a callback that
// ignored a failed write), that error, so that the caller rolls back rather
// than commit half of it. Exceptions from fn pass through.
Status RunTx(StatementCache& stmts, const std::function<Status(Tx&)>& fn);

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQL_TX_H_
