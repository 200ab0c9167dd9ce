using System.CommandLine;
using System.CommandLine.Completions;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Sitewire.Cli.Completion;
using Sitewire.Cli.Display;
using Sitewire.Cli.Outcome;
using Sitewire.Host.Lab;

namespace Sitewire.Cli.Lab;

/// <summary>
/// `sitewire lab [TOPOLOGY]`: plan and verify the topology in memory, build it in network namespaces, bring every
/// node up with wg-quick, try every flow for real and compare with the verifier. Exit 0 only when every flow agrees
/// with verify and does what the topology declares and verify has no error finding; 1 otherwise; 2 when the lab cannot be built.
/// </summary>
internal static class LabCommand
{
    public static Command Create()
    {
        var topology = new Argument<string?>("topology") { HelpName = "TOPOLOGY.yaml", Description = "Topology YAML (default: the seed scenario built into sitewire).", Arity = ArgumentArity.ZeroOrOne };
        topology.CompletionSources.Add(PathCompletion.Files(PathCompletion.TopologyExtensions));
        var engine = new Option<string>("--engine") { Description = "WireGuard implementation for wg-quick: sitewired (built next to sitewire), wireguard-go or kernel.", DefaultValueFactory = _ => "sitewired" };
        engine.CompletionSources.Add(_ => Enum.GetValues<LabEngineKind>().Select(kind => new CompletionItem(new LabEngine(kind, null).DisplayName)));
        var keep = new Option<bool>("--keep") { Description = "Leave the lab running (use `sitewire lab exec`, `lab check`, `lab down`)." };
        var installDeps = new Option<bool>("--install-deps") { Description = "Install missing Debian packages with apt-get (root only)." };
        var noFirewalld = new Option<bool>("--no-firewalld") { Description = "Start RHEL-family nodes with an empty firewall instead of running firewalld on them." };
        var fail = new Option<string?>("--fail") { HelpName = "RELAY|none", Description = "With several relays: the relay to cut off after the flows, to prove the failover and measure the switch-over (default: the preferred relay; none: no drill, the agents still run)." };
        var command = new Command("lab", "Run a topology for real in network namespaces and check every flow against `verify` (exit 0 every flow as declared and as verify predicted, 1 not, 2 unusable input or a host that lacks what the lab needs, 130 interrupted).");
        command.Arguments.Add(topology);
        command.Options.Add(engine);
        command.Options.Add(keep);
        command.Options.Add(installDeps);
        command.Options.Add(noFirewalld);
        command.Options.Add(fail);
        command.Options.Add(LabJson.Option);
        command.Subcommands.Add(LabDownCommand.Create());
        command.Subcommands.Add(LabExecCommand.Create());
        command.Subcommands.Add(LabCheckCommand.Create());
        command.Subcommands.Add(LabListCommand.Create());
        command.Subcommands.Add(LabSnapshotCommand.Create());
        command.SetAction(parse => Run(parse.GetValue(topology), parse.GetValue(engine)!, parse.GetValue(keep), parse.GetValue(installDeps), !parse.GetValue(noFirewalld), parse.GetValue(fail), parse.GetValue(LabJson.Option)));
        return command;
    }

    private static int Run(string? topologyPath, string engineName, bool keep, bool installDeps, bool firewalld, string? fail, bool json)
    {
        var progress = json ? Console.Error : Console.Out;
        var clock = Stopwatch.StartNew();
        var engine = LabEngine.Parse(engineName);
        LabPreflight.CheckRoot();
        var planned = PlannedLab.Load(topologyPath);
        var cut = RelayToCut(fail, planned.Blueprint.Failover);
        LabPreflight.Check(installDeps, engine, firewalld && LabFirewalld.Nodes(planned.Blueprint).Count > 0);
        progress.WriteLine($"[lab] topology: {Shown.Name(topologyPath ?? PlannedLab.EmbeddedSeedName)}: {planned.Topology.Nodes.Count} nodes, {planned.Topology.Hosts.Count} LAN hosts, {planned.Blueprint.Flows.Count} flows; verify: {(planned.Verification.Passed ? "passed" : "FAILED")}");
        if (planned.ThrowawayKeyNodes.Count > 0)
        {
            progress.WriteLine($"[lab] keys: {string.Join(", ", planned.ThrowawayKeyNodes)} run on throwaway key pairs (their declared public_key belongs to a private key that stays on the real node)");
        }
        LabTeardown.RemoveAbandoned(progress.WriteLine);
        LabSession? session = null;
        var interrupted = 0;
        var mainFinished = new TaskCompletionSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            session = LabSession.Start(planned.Blueprint, new LabOptions(engine, keep) { Firewalld = firewalld }, progress.WriteLine);
            var results = session.RunFlows();
            if (Volatile.Read(ref interrupted) == 1)
            {
                return ExitCode.Interrupted;
            }
            var agree = FlowTable.Print(results, progress);
            if (json)
            {
                LabJson.Write(session.State, results);
            }
            progress.WriteLine($"[lab] {session.State.Id}: {results.Count(r => r.Agrees)} of {results.Count} flows as verify predicted, {clock.Elapsed.TotalSeconds:0.0}s from start");
            var broken = results.Where(r => !r.MeetsExpectation).Select(r => r.Flow.Name).ToList();
            if (agree && broken.Count > 0)
            {
                progress.WriteLine($"[lab] lab and verify agree that the design breaks: {string.Join("; ", broken.Select(Shown.Sentence))} (see `sitewire verify`; on a kept lab, `sitewire lab exec NODE -- sitewire doctor` names the fix and `sitewire lab check` retries)");
            }
            var errors = planned.Verification.Findings.Count(f => f.Severity == Sitewire.Planner.Verify.Severity.Error);
            if (errors > 0)
            {
                progress.WriteLine($"[lab] verify failed on {errors} error finding{(errors == 1 ? "" : "s")} (see `sitewire verify`): the lab exits 1 as verify does, whatever the flows did");
            }
            var failoverProven = cut is null || ProveFailover(session, cut, progress);
            if (keep)
            {
                PrintUsage(session, progress);
            }
            return agree && broken.Count == 0 && errors == 0 && failoverProven ? ExitCode.Ok : ExitCode.Findings;
        }
        catch (Exception) when (Volatile.Read(ref interrupted) == 1)
        {
            return ExitCode.Interrupted;
        }
        finally
        {
            if (Volatile.Read(ref interrupted) == 1)
            {
                RemoveOwnedLabs(session);
            }
            else
            {
                if (session is not null && !keep)
                {
                    progress.WriteLine($"[lab] {session.State.Id}: removing (use --keep to leave it running)");
                }
                session?.Dispose();
            }
            mainFinished.TrySetResult();
        }

        // The handler stops the lab at once (its processes and namespaces), which makes whatever step the main
        // thread is in fail fast; the main thread then removes what is left, including anything it created
        // meanwhile, and exits 130. If the main thread does not come back in time, the handler finishes alone.
        // Nothing may escape the handler (an exception on its thread aborts the process, exit 134), and what it waits
        // on needs no disposal: the main thread may return, and tear down, while the handler is still waking up.
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Exchange(ref interrupted, 1) == 1)
            {
                return;
            }
            try
            {
                Console.Error.WriteLine($"[lab] {context.Signal}: removing the lab");
                RemoveOwnedLabs(null);
                if (!mainFinished.Task.Wait(TimeSpan.FromSeconds(30)))
                {
                    RemoveOwnedLabs(session);
                    Environment.Exit(ExitCode.Interrupted);
                }
            }
            catch (Exception exception)
            {
                Console.Error.WriteLine($"[lab] removing the lab on {context.Signal} failed: {Shown.Sentence(exception.Message)} (the next `sitewire lab` or `sitewire lab down` finishes it)");
            }
        }
    }

    /// <summary>Removes every lab this process owns (kept or not), from the session in memory and the state files on disk.</summary>
    private static void RemoveOwnedLabs(LabSession? session)
    {
        try
        {
            List<LabState> owned = [.. LabState.All().Where(s => s.IsOwnedByThisProcess && s.Id != session?.State.Id)];
            if (session is not null)
            {
                owned.Add(session.State);
            }
            foreach (var state in owned)
            {
                LabTeardown.Remove(state, Console.Error.WriteLine);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException
            or System.Text.Json.JsonException or Host.Processes.CommandFailedException)
        {
            Console.Error.WriteLine($"[lab] removing the lab failed: {Shown.Sentence(exception.Message)} (the next `sitewire lab` or `sitewire lab down` finishes it)");
        }
    }

    /// <summary>The relay `--fail` names (default: the preferred one); null for no drill. Refused before anything is built.</summary>
    private static string? RelayToCut(string? fail, LabFailover? failover)
    {
        if (fail == "none")
        {
            return null;
        }
        if (failover is null)
        {
            return fail is null ? null : throw new RequestRefusedException("--fail: the topology has one relay; a failover needs a hub with several (`hub: [relay-a, relay-b]`)", "--fail");
        }
        if (fail is not null && !failover.Relays.Contains(fail))
        {
            throw new RequestRefusedException($"--fail: {Shown.Name(fail)} is none of the hub's relays ({string.Join(", ", failover.Relays)}) and not `none`", "--fail");
        }
        return fail ?? failover.Preferred;
    }

    private static bool ProveFailover(LabSession session, string cut, TextWriter progress)
    {
        var drill = LabFailoverDrill.Run(session, cut, progress.WriteLine, (when, results) =>
        {
            progress.WriteLine($"[lab] failover: every flow {when}:");
            FlowTable.Print(results, progress);
        });
        progress.WriteLine(drill.Passed
            ? $"[lab] failover: proven: {cut} cut off, {(drill.Moves ? $"the traffic moved to {drill.Fallback} and back" : $"the traffic stayed on {drill.Fallback}")}, every flow as verify predicted in both states"
            : $"[lab] failover: FAILED: {drill.Failure}");
        return drill.Passed;
    }

    private static void PrintUsage(LabSession session, TextWriter progress)
    {
        var state = session.State;
        var node = state.Tunnels.Keys.First();
        progress.WriteLine($"""
            [lab] {state.Id} is kept running (nodes: {string.Join(", ", state.Tunnels.Keys)}; every host: {string.Join(", ", state.Namespaces.Keys)}). Use it:
              sitewire lab exec --lab {state.Id} {node} -- wg show                   run a command inside a node or host
              sitewire lab exec --lab {state.Id} {node} -- sitewire doctor {state.Tunnels[node]}   examine a node
              sitewire lab check --lab {state.Id}                          try every flow again (after a fix)
              sitewire lab down --lab {state.Id}                           remove everything
            """);
        if (session.FailoverAgents is { } agents)
        {
            var site = agents.Nodes[0];
            progress.WriteLine($"  sitewire lab exec {site} -- sitewire failover status {agents.ConfigPath(site)}   a failover agent's state");
        }
    }
}
