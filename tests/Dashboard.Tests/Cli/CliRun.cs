using CrowdWatch.Dashboard.Cli;

namespace CrowdWatch.Dashboard.Tests.Cli;

/// <summary>Runs the crowdwatch CLI in-process with captured streams and a controlled environment.</summary>
internal static class CliRun
{
    public static (int Code, string Out, string Err) Run(string stdin, Dictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = CrowdWatchCli.Create(new StringReader(stdin), output, error, _ => throw new InvalidOperationException("serve not expected"),
            name => environment?.GetValueOrDefault(name));
        var code = CrowdWatchCli.Invoke(root, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
