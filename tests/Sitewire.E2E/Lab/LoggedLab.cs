using Sitewire.E2E.Infrastructure;
using Sitewire.Host.Lab;

namespace Sitewire.E2E.Lab;

/// <summary>
/// A lab started with its progress lines kept (namespaces, wg-quick up per node, handshakes), so that a fixture whose
/// flows do not go as verify predicted fails with each flow's outcome, the progress and a <see cref="LabSnapshot"/>.
/// </summary>
internal sealed class LoggedLab : IDisposable
{
    private readonly List<string> _progress = [];

    public LoggedLab(LabBlueprint blueprint, LabOptions options) =>
        Session = LabSession.Start(blueprint, options, line =>
        {
            lock (_progress)
            {
                _progress.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            }
        });

    public LabSession Session { get; }

    /// <summary>Runs every flow and asserts each agrees with verify (the results, for more checks); disposes the lab when one does not.</summary>
    public IReadOnlyList<LabFlowResult> AssertFlowsAsPredicted()
    {
        try
        {
            var results = Session.RunFlows();
            Assert.True(results.All(r => r.Agrees), Describe(results));
            return results;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Removes the lab; its keys and logs are handed to <see cref="SecretWatch"/> first, which then fails on any leak.</summary>
    public void Dispose()
    {
        SecretWatch.Suite.Harvest(Session.State.Directory, $"lab {Session.State.Id}");
        Session.Dispose();
        SecretWatch.Suite.AssertNoLeaks();
    }

    private string Describe(IReadOnlyList<LabFlowResult> results)
    {
        string progress;
        lock (_progress)
        {
            progress = string.Join('\n', _progress);
        }
        var flows = string.Join('\n', results.Select(r => $"{(r.Agrees ? "ok  " : "FAIL")} {r.Flow.Name}: verify {r.Flow.Prediction}, lab {r.Outcome.Detail}"));
        return $"lab {Session.State.Id}: flows not as verify predicted\n{flows}\n{progress}\n{LabSnapshot.Describe(Session.State)}";
    }
}
