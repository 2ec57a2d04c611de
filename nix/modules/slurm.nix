# SLURM and munge installed but not started: the scheduler step writes slurm.conf and the munge
# key over SSH and starts the daemons, so no cluster layout is baked in.
{ pkgs, ... }:
{
  environment.systemPackages = with pkgs; [ slurm munge ];
  users.users.slurm = { isSystemUser = true; group = "slurm"; };
  users.groups.slurm = { };
  users.users.munge = { isSystemUser = true; group = "munge"; };
  users.groups.munge = { };
}
