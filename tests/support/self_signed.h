// A self-signed TLS certificate for tests that talk HTTPS to 127.0.0.1.
#ifndef SUARADESA_TESTS_SUPPORT_SELF_SIGNED_H_
#define SUARADESA_TESTS_SUPPORT_SELF_SIGNED_H_

#include <string>

namespace suaradesa::testing {

// Writes a self-signed P-256 certificate for IP 127.0.0.1 with common name
// `common_name` (valid from an hour ago for a day; it is its own CA, so a
// client can verify the server against it), and its key. Each file is
// written beside its path and renamed into place, as certbot's symlink swap
// does: a reader never sees half a file. Fails the test on any error.
void WriteSelfSigned(const std::string& common_name, const std::string& cert_path,
                     const std::string& key_path);

}  // namespace suaradesa::testing

#endif  // SUARADESA_TESTS_SUPPORT_SELF_SIGNED_H_
