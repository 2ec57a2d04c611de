# Base of every bench image: boots directly from a kernel and initrd, serves SSH, and reads its
# hostname, address and keys from the seed disk at boot (nothing per-VM is in the image).
{ config, lib, pkgs, modulesPath, ... }:
{
  imports = [ "${modulesPath}/profiles/qemu-guest.nix" "${modulesPath}/profiles/minimal.nix" ];

  boot.loader.grub.enable = false;
  boot.kernelParams = [ "console=ttyS0" "net.ifnames=0" ];
  fileSystems."/" = { device = "/dev/vda"; fsType = "ext4"; autoResize = true; };

  networking.hostName = "";
  networking.useDHCP = false;
  networking.firewall.enable = false;

  services.openssh = {
    enable = true;
    settings.PermitRootLogin = "prohibit-password";
    hostKeys = [ ];
  };

  environment.systemPackages = with pkgs; [ iproute2 stress-ng ];
  documentation.enable = false;

  systemd.services.bench-seed = {
    description = "Apply the bench seed disk";
    wantedBy = [ "multi-user.target" ];
    before = [ "sshd.service" ];
    serviceConfig = { Type = "oneshot"; RemainAfterExit = true; };
    path = with pkgs; [ util-linux iproute2 coreutils inetutils ];
    script = ''
      mkdir -p /run/bench-seed
      mount -o ro /dev/vdb /run/bench-seed
      . /run/bench-seed/env
      hostname "$BENCH_HOSTNAME"
      ip link set eth0 up
      ip addr add "$BENCH_ADDRESS" dev eth0
      install -D -m 600 /run/bench-seed/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key
      install -D -m 600 /run/bench-seed/authorized_keys /root/.ssh/authorized_keys
      umount /run/bench-seed
    '';
  };
  services.openssh.extraConfig = "HostKey /etc/ssh/ssh_host_ed25519_key";

  system.stateVersion = "24.05";
}
