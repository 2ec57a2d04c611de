# Kubernetes binaries and container runtime; the join token and roles are given at run time.
{ pkgs, ... }:
{
  environment.systemPackages = with pkgs; [ kubernetes cri-tools ];
  virtualisation.containerd.enable = true;
  boot.kernelModules = [ "br_netfilter" "overlay" ];
  boot.kernel.sysctl."net.ipv4.ip_forward" = 1;
}
