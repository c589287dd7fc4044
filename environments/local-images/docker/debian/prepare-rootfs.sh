#!/bin/sh
# Slims a fresh debootstrap tree before scripts/build-images.sh turns it into the base image:
# no package caches or lists, no documentation, manual pages or translations (licence files stay,
# directories stay so that packages installing manual pages later still find them), and nothing
# copied from the build host (resolv.conf, hostname, logs).
set -eu
root=${1:?usage: prepare-rootfs.sh ROOTFS_DIR}
[ -x "$root/usr/bin/apt-get" ] || { echo "prepare-rootfs.sh: $root does not look like a Debian root filesystem" >&2; exit 1; }

rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/archives/partial/* \
       "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
for dir in man info locale lintian; do
  [ -d "$root/usr/share/$dir" ] || continue
  find "$root/usr/share/$dir" -mindepth 1 ! -type d ! -name locale.alias -delete
done
find "$root/var/log" -type f -delete
rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
