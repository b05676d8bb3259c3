// The embedded migration files of a backend as an ordered list: both stores
// (storage/sqlite/store.cc, storage/postgres/store.cc) read theirs this way.
//
// This header is internal to storage/: nothing outside it may include it.
#ifndef SUARADESA_STORAGE_SQL_MIGRATIONS_H_
#define SUARADESA_STORAGE_SQL_MIGRATIONS_H_

#include <map>
#include <string>
#include <vector>

#include "storage/records.h"

namespace suaradesa::storage {

struct Migration {
  int version = 0;
  std::string name;
  const std::string* sql = nullptr;  // points into `files`
};

// `files` (file name -> SQL) in name order. A file name must start with its
// version number, and versions must increase strictly; gaps are allowed.
Result<std::vector<Migration>> ParseMigrations(const std::map<std::string, std::string>& files);

}  // namespace suaradesa::storage

#endif  // SUARADESA_STORAGE_SQL_MIGRATIONS_H_
