using System.Diagnostics;
using Sitewire.Host.Lab;
using Sitewire.Host.Linux;

namespace Sitewire.Host.Tests.Lab;

/// <summary>
/// A lab recognises the processes it recorded by PID, command line and start time: PIDs are reused (pid_max may be
/// 32768, and a full test run wraps it), and every lab of a topology runs the same command lines ("wireguard-go wg0").
/// </summary>
public sealed class LabTeardownTests : IDisposable
{
    private readonly Process _bystander = Started("sleep", "60");

    [Fact]
    public void A_process_with_a_recorded_pid_and_command_line_but_a_later_start_is_not_the_labs_and_is_left_running()
    {
        var pid = _bystander.Id;
        var commandLine = ProcessTable.CommandLine(pid)!;
        var start = ProcessTable.StartTime(pid)!.Value;
        var state = new LabState
        {
            Id = "t" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..3],
            Name = "teardown-test",
            OwnerPid = Environment.ProcessId,
            OwnerCommandLine = ProcessTable.CommandLine(Environment.ProcessId)!,
            OwnerStartTime = ProcessTable.StartTime(Environment.ProcessId)!.Value,
            Processes = [new LabProcess(pid, commandLine, start - 1)],
        };

        LabTeardown.Remove(state);

        var now = $"recorded `{commandLine}` started at {start}; now `{ProcessTable.CommandLine(pid)}` started at {ProcessTable.StartTime(pid)}";
        Assert.False(_bystander.HasExited, $"the lab's teardown killed a process that only had a recorded PID and command line ({now}, exit {(_bystander.HasExited ? _bystander.ExitCode : 0)})");
        Assert.True(ProcessTable.IsAlive(pid, commandLine, start), now);
        Assert.False(ProcessTable.IsAlive(pid, commandLine, start - 1), now);
    }

    /// <summary>
    /// A process started and done with its exec. Process.Start returns when the kernel closes the close-on-exec pipe, early in
    /// execve and before it has laid out the new program's arguments: until then /proc/PID/cmdline reads empty (the cause of
    /// this test's failures, "recorded `` started at T; now `sleep 60` started at T").
    /// </summary>
    private static Process Started(string program, string argument)
    {
        var process = Process.Start(new ProcessStartInfo(program, argument) { UseShellExecute = false })!;
        var clock = Stopwatch.StartNew();
        while (ProcessTable.CommandLine(process.Id) != $"{program} {argument}" && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(1);
        }
        return process;
    }

    public void Dispose()
    {
        if (!_bystander.HasExited)
        {
            _bystander.Kill();
        }
        _bystander.Dispose();
    }
}
