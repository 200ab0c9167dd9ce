namespace Sitewire.Planner.Plan;

/// <summary>One file of the plan's output, relative to OUT. Secret files are written 0600.</summary>
public sealed record PlanFile(string RelativePath, byte[] Content, bool Secret)
{
    public static PlanFile Text(string relativePath, string content, bool secret = false) =>
        new(relativePath, System.Text.Encoding.UTF8.GetBytes(content), secret);
}
