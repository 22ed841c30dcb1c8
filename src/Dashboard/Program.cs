using CrowdWatch.Dashboard.Cli;
using CrowdWatch.Dashboard.Hosting;

static int Serve(string[] args)
{
    WebHost.Build(args).Run();
    return 0;
}

return CrowdWatchCli.IsServe(args)
    ? Serve(args)
    : CrowdWatchCli.Create(Console.In, Console.Out, Console.Error, Serve).Parse(args).Invoke();
