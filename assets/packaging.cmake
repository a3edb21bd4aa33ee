# The .deb (scripts/package runs CPack with this), and the Debian files it needs that a plain
# `cmake --install` does not: the copyright file and the changelog, under share/doc/wsdemo.
set(WSDEMO_HOMEPAGE "https://github.com/wsdemo/wsdemo"
    CACHE STRING "Where the project is published: the package's and AppStream's homepage")
string(REPLACE "https://github.com/" "https://raw.githubusercontent.com/" raw "${WSDEMO_HOMEPAGE}")
set(WSDEMO_SCREENSHOTS_URL "${raw}/main/assets"
    CACHE STRING "Where the README's screenshots are published, for AppStream")
set(WSDEMO_RELEASE_DATE 2026-11-28)  # Of PROJECT_VERSION: AppStream and the Debian changelog.
set(WSDEMO_RELEASE_DATE_RFC2822 "Sat, 28 Nov 2026 00:00:00 +0000")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wsdemo)
set(CPACK_PACKAGE_VENDOR "The wsdemo authors")
set(CPACK_PACKAGE_CONTACT "wsdemo maintainers <maintainers@users.noreply.r-seed-e8ed3222.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # wsdemo_0.9.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${WSDEMO_HOMEPAGE}")
# The extended description; CPack puts the summary above it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "A desktop WebSocket client in a Dear ImGui window, to keep open while
building or debugging a WebSocket server: a connection bar with every
handshake option, a message log with a text, hex and JSON inspector, pings
with round-trip times, reconnect, and settings that persist. ws:// and wss://
links open in it.
.
It brings its own echo server, so it works offline, runs without a window
(--headless, like wscat) and runs as a standalone echo server.")
# dpkg-shlibdeps computes the libraries; the fonts are read at run time, so are named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk, fonts-symbola")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)

# Debian policy: the copyright file, and a changelog compressed with gzip -9n (no name or
# time stamp inside, so that two builds give the same bytes).
file(READ "${PROJECT_SOURCE_DIR}/LICENSE" license)
string(STRIP "${license}" license)
string(REPLACE "\n\n" "\n.\n" license "${license}")
string(REPLACE "\n" "\n " WSDEMO_LICENSE_PARAGRAPHS " ${license}")
configure_file(assets/debian-copyright.in copyright @ONLY)
configure_file(assets/debian-changelog.in changelog @ONLY)
