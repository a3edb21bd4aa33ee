#!/usr/bin/env bash
# Regenerates the test certificates (valid for 100 years, so the tests never expire).
# Only for loopback test servers: the private keys are public in this repository.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -days $days -subj "/CN=wsdemo test CA" \
  -keyout ca.key -out ca.pem
issue() {  # name extensions (openssl x509 -extfile lines)
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days $days \
    -extfile <(printf '%s\n' "$2") -out "$1.pem"
  rm "$1.csr"
}
issue localhost "subjectAltName=DNS:localhost,IP:127.0.0.1"
issue other-host "subjectAltName=DNS:other.example"
# For servers that require a client certificate issued by the test CA.
issue client "extendedKeyUsage=clientAuth"
openssl req -x509 -newkey rsa:2048 -nodes -days $days -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout self-signed.key -out self-signed.pem
rm -f ca.srl
