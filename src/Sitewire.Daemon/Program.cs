using System.Runtime.InteropServices;
using Sitewire.Daemon;

var arguments = DaemonArguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine(DaemonArguments.Usage);
    return ExitCodes.Usage;
}
if (arguments.Version)
{
    Console.WriteLine($"sitewired v{Sitewire.Daemon.Version.Text}\n\nUserspace WireGuard daemon for {RuntimeInformation.RuntimeIdentifier}.\n" +
        "Information available at https://www.wireguard.com.");
    return ExitCodes.Success;
}

var logLevelSetting = Environment.GetEnvironmentVariable("LOG_LEVEL");
var log = new DaemonLog(arguments.InterfaceName, DaemonLog.LevelFromEnvironment(logLevelSetting));
Sitewire.Tunnel.ProtocolTimings timings;
MetricsSettings metrics;
try
{
    timings = TestTimings.FromEnvironment();
    metrics = MetricsSettings.FromEnvironment();
}
catch (FormatException e)
{
    Console.Error.WriteLine(e.Message);
    return ExitCodes.Usage;
}

if (Detach.IsChild)
{
    Detach.StartSession();
    var keepStandardError = !string.IsNullOrEmpty(logLevelSetting) && log.Level != LogLevel.Silent;
    return DaemonHost.Run(arguments.InterfaceName, timings, metrics, log, () => Detach.ReportReady(keepStandardError));
}
if (arguments.Foreground || Environment.GetEnvironmentVariable("WG_PROCESS_FOREGROUND") == "1")
{
    return DaemonHost.Run(arguments.InterfaceName, timings, metrics, log, onReady: null);
}
return Detach.RunParent(arguments, log);
