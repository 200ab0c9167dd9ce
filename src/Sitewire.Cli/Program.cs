using Sitewire.Cli;
using Sitewire.Cli.Outcome;

return VerbInvocation.Run(SitewireCommandLine.Create().Parse(args));
