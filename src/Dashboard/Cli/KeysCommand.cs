using System.CommandLine;
using CrowdWatch.Dashboard.Security;

namespace CrowdWatch.Dashboard.Cli;

/// <summary><c>crowdwatch keys issue|revoke</c>: API keys in the configured store (only their hashes are kept).</summary>
internal static class KeysCommand
{
    public static Command Create(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        var command = new Command("keys", "API keys: issue one (its secret is shown once) or revoke one");
        var name = new Argument<string>("name") { Description = "A unique name, for example police-desk" };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}", Required = true };
        var issue = new Command("issue", "Issue a key and print its secret once");
        issue.Arguments.Add(name);
        issue.Options.Add(role);
        issue.SetAction(parse => CliErrors.Run(error, () =>
        {
            var r = parse.GetValue(role)!;
            if (!Roles.All.Contains(r)) throw new ArgumentException($"--role '{r}': expected one of {string.Join(", ", Roles.All)}");
            var store = CliStore.From(environment);
            var keys = store.Open().Keys;
            var secret = keys.IssueAsync(parse.GetValue(name)!, r).GetAwaiter().GetResult();
            output.WriteLine(secret);
            error.WriteLine($"key '{parse.GetValue(name)}' ({r}) issued in {store.Description}; send it as 'Authorization: Bearer <secret>'. It is not shown again.");
            return 0;
        }));
        var revokeName = new Argument<string>("name") { Description = "The key's name" };
        var revoke = new Command("revoke", "Revoke a key by name");
        revoke.Arguments.Add(revokeName);
        revoke.SetAction(parse => CliErrors.Run(error, () =>
        {
            var keys = CliStore.From(environment).Open().Keys;
            if (keys.RevokeAsync(parse.GetValue(revokeName)!).GetAwaiter().GetResult()) return 0;
            error.WriteLine($"error: no key named '{parse.GetValue(revokeName)}'");
            return 2;
        }));
        command.Subcommands.Add(issue);
        command.Subcommands.Add(revoke);
        return command;
    }
}
