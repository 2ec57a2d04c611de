/** `bench/image`: VM images (Debian with mmdebstrap, NixOS with nix build), content-addressed. */
export * from '../hpc/image/build-image.js';
