using System.CommandLine;
using System.CommandLine.Completions;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Doctor;
using Sitewire.Cli.Failover;
using Sitewire.Cli.Import;
using Sitewire.Cli.Keys;
using Sitewire.Cli.Lab;
using Sitewire.Cli.Plan;
using Sitewire.Cli.Trace;
using Sitewire.Cli.Verify;

namespace Sitewire.Cli;

/// <summary>The `sitewire` command line: every verb, and the [suggest] directive the completion scripts call.</summary>
internal static class SitewireCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Sitewire: connect sites to an intranet over WireGuard — plan, verify, trace, lab, doctor. Exit codes of every verb: 0 ok, 1 findings (broken flows, problems, a failed check), 2 usage error or unusable input, 70 a bug in sitewire, 130 interrupted.");
        root.Subcommands.Add(GenkeyCommand.Create());
        root.Subcommands.Add(PubkeyCommand.Create());
        root.Subcommands.Add(GenpskCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(LabCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(FailoverCommand.Create());
        root.Subcommands.Add(CompletionCommand.Create());
        var suggest = root.Directives.OfType<SuggestDirective>().Single();
        suggest.Action = new SuggestAction(suggest);
        return root;
    }
}
