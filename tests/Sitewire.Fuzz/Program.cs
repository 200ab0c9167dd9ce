using SharpFuzz;
using Sitewire.Fuzz;

// Coverage-guided fuzz targets for afl-fuzz (scripts/fuzz.sh runs them; docs/fuzzing.md).
//   Sitewire.Fuzz TARGET              under afl-fuzz: the fork server loop, one input per execution
//   Sitewire.Fuzz TARGET FILE...      each file once, in process: reproduces a crash with its stack trace
//   Sitewire.Fuzz --list              the target names
//   Sitewire.Fuzz --write-seeds DIR   regenerates the WireGuard message seeds (fixed keys) into DIR/<target>/
// A target calls one parser with the input; an exception other than the parser's documented error escapes and is
// the crash afl-fuzz records, and an input that takes longer than afl-fuzz's -t is a hang.
if (args is ["--list"])
{
    foreach (var name in FuzzTargets.All.Keys)
    {
        Console.WriteLine(name);
    }
    return 0;
}
if (args is ["--write-seeds", var directory])
{
    WireGuardSeeds.Write(directory);
    return 0;
}
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Sitewire.Fuzz TARGET [FILE...]; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}
if (args.Length > 1)
{
    Replay.AllowInstrumentedCode();
    foreach (var file in args[1..])
    {
        target(File.ReadAllBytes(file));
        Console.WriteLine($"{file}: ok");
    }
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    target(input.ToArray());
});
return 0;
