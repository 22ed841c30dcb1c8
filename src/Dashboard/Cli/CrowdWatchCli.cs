using System.CommandLine;

namespace CrowdWatch.Dashboard.Cli;

/// <summary>The <c>crowdwatch</c> command line: with no verb it serves the dashboard.</summary>
internal static class CrowdWatchCli
{
    public static RootCommand Create(TextReader input, TextWriter output, TextWriter error, Func<string[], int> serve,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var root = new RootCommand("CrowdWatch: live crowd heat maps, forecasts and warnings. With no verb, serves the dashboard.");
        root.Subcommands.Add(GridCommands.Create(input, output, error));
        root.Subcommands.Add(IngestCommand.Create(output, error, environment));
        root.Subcommands.Add(HeatmapCommand.Create(output, error));
        root.Subcommands.Add(SimulateCommand.Create(output, error));
        root.Subcommands.Add(DbCommands.Create(output, error, environment));
        root.Subcommands.Add(BacktestCommand.Create(output, error));
        root.Subcommands.Add(ForecastCommand.Create(output, error, environment));
        root.Subcommands.Add(AlertsCommand.Create(output, error, environment));
        root.Subcommands.Add(KeysCommand.Create(output, error, environment));
        root.Subcommands.Add(SendCommand.Create(output, error, environment));
        root.Subcommands.Add(ScenarioCommand.Create(output, error, environment));
        var serveCommand = new Command("serve", "Serve the dashboard and API (the default)");
        serveCommand.TreatUnmatchedTokensAsErrors = false;
        serveCommand.SetAction(parse => serve([.. parse.UnmatchedTokens]));
        root.Subcommands.Add(serveCommand);
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A malformed command line prints what was wrong and where to look
    /// (not the whole help, which buries the one line that matters) and exits 2.
    /// </summary>
    public static int Invoke(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(error);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) error.WriteLine($"error: {e.Message}");
            var verb = string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')));
            error.WriteLine(verb.Length == 0 ? "see: crowdwatch --help" : $"see: crowdwatch {verb} --help");
            return 2;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>Whether <paramref name="args"/> name no verb, so the host should start.</summary>
    public static bool IsServe(string[] args) =>
        args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version"));
}
