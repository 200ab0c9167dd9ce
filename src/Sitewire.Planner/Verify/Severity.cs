namespace Sitewire.Planner.Verify;

public enum Severity
{
    Info,
    Warning,
    Error,
}
