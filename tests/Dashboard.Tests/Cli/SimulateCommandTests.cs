using System.Security.Cryptography;
using CrowdWatch.Dashboard.Deployment;

namespace CrowdWatch.Dashboard.Tests.Cli;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crowdwatch-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err, Dictionary<string, string> Hashes) Simulate(string name, int seed)
    {
        var outDir = Path.Combine(_dir, name);
        var (code, output, error) = CliRun.Run("", null, "simulate", "-d", SampleDeployment.Locate(), "--from", "2025-10-01", "--days", "1",
            "--people", "20000", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", outDir,
            "--raw-from", "2025-10-01T19:00", "--raw-to", "2025-10-01T20:00", "--charts", "false");
        var hashes = Directory.GetFiles(outDir).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
        return (code, output, error, hashes);
    }

    [Fact]
    public void Two_runs_with_one_seed_write_byte_identical_files_and_another_seed_differs()
    {
        var a = Simulate("a", 4);
        var b = Simulate("b", 4);
        var c = Simulate("c", 5);
        Assert.Equal(0, a.Code);
        Assert.Equal(["history.csv.gz", "pings.csv.gz", "searches.csv.gz"], a.Hashes.Keys.Order());
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.All(a.Hashes.Keys, k => Assert.NotEqual(a.Hashes[k], c.Hashes[k]));
        Assert.Contains("person-days", a.Out, StringComparison.Ordinal);
        Assert.Contains("rejected", a.Out, StringComparison.Ordinal);
        Assert.Contains("simulated 2025-10-01 (Holiday)", a.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var (code, _, error) = CliRun.Run("", null, "simulate", "-d", SampleDeployment.Locate(), "--from", "1 October", "--out", Path.Combine(_dir, "x"));
        Assert.NotEqual(0, code);
        Assert.Contains("--from '1 October': expected a date, yyyy-MM-dd", error, StringComparison.Ordinal);
    }
}
