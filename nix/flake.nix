{
  description = "bench: NixOS images for virtual clusters (no runtime values baked in)";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

  outputs = { self, nixpkgs }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      mkImage = modules:
        let
          nixos = nixpkgs.lib.nixosSystem {
            inherit system;
            modules = [ ./modules/base.nix ] ++ modules;
          };
          cfg = nixos.config;
          disk = import "${nixpkgs}/nixos/lib/make-disk-image.nix" {
            inherit pkgs;
            inherit (nixos) config;
            lib = nixpkgs.lib;
            format = "qcow2";
            partitionTableType = "none";
            diskSize = "auto";
          };
        in
        pkgs.runCommand "bench-image" { } ''
          mkdir -p $out
          ln -s ${disk}/nixos.qcow2 $out/disk.qcow2
          ln -s ${cfg.system.build.kernel}/${cfg.system.boot.loader.kernelFile} $out/vmlinuz
          ln -s ${cfg.system.build.initialRamdisk}/${cfg.system.boot.loader.initrdFile} $out/initrd.img
        '';
    in
    {
      nixosModules = {
        base = ./modules/base.nix;
        slurm = ./modules/slurm.nix;
        kubernetes = ./modules/kubernetes.nix;
        flux = ./modules/flux.nix;
      };
      packages.${system} = {
        bench-base = mkImage [ ];
        bench-slurm = mkImage [ ./modules/slurm.nix ];
        bench-kubernetes = mkImage [ ./modules/kubernetes.nix ];
        bench-flux = mkImage [ ./modules/flux.nix ];
        default = self.packages.${system}.bench-slurm;
      };
    };
}
