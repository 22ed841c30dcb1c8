using CrowdWatch.Dashboard.Cli;
using CrowdWatch.Dashboard.Hosting;

static int Serve(string[] args)
{
    try
    {
        WebHost.Build(args).Run();
        return 0;
    }
    catch (Exception e) when (e is InvalidDataException or Microsoft.Extensions.Options.OptionsValidationException or System.Data.Common.DbException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }
}

return CrowdWatchCli.IsServe(args)
    ? Serve(args)
    : CrowdWatchCli.Create(Console.In, Console.Out, Console.Error, Serve).Parse(args).Invoke();
