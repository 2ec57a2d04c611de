# Flux framework packages; the broker bootstrap (ranks, URIs) is written at run time.
{ pkgs, ... }:
{
  environment.systemPackages = with pkgs; [ flux-core flux-sched munge ];
}
