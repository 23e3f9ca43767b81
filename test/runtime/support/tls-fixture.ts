// A self-signed certificate for tests only (CN and SAN localhost, SAN IP 127.0.0.1, valid until 2126),
// made with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
//   -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1". Trusted only where a test passes it as `ca`.
export const TEST_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgp2sk0oI+W2LzxYOf
VFxc8/yCONKcBmxIrjwOgFvWQzKhRANCAARhTbf/2ighxhbfdLliTVsM0QSa5qsJ
ZheD/7g4OmZVff+QbRDEghuFcm96a+YH3aDFyGSonbjnioILxHUORCz0
-----END PRIVATE KEY-----
`;
export const TEST_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUXXZNads7rK7ywoU+sk3vVwRHlZYwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMzEwNTI0N1oYDzIxMjYxMTA5
MTA1MjQ3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARhTbf/2ighxhbfdLliTVsM0QSa5qsJZheD/7g4OmZVff+QbRDEghuF
cm96a+YH3aDFyGSonbjnioILxHUORCz0o28wbTAdBgNVHQ4EFgQUPk3ilDf0+VJz
B2m8xfu1wMFN0oIwHwYDVR0jBBgwFoAUPk3ilDf0+VJzB2m8xfu1wMFN0oIwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhAPpZ8opEX7qF9rBfs8njN1opL0OBw8D9v37O07oWDH1tAiB7
t9lNCl/56t/yBag2A5gEy9qAY6d1MwAJLuSrTOU4Hg==
-----END CERTIFICATE-----
`;
