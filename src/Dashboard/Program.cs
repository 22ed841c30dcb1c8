using CrowdWatch.Dashboard.Cli;
using CrowdWatch.Dashboard.Hosting;

static int Serve(string[] args)
{
    try
    {
        // The one wait at the entry point: everything below it is asynchronous.
        using var app = WebHost.BuildAsync(args).GetAwaiter().GetResult();
        app.Run();
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
    : CrowdWatchCli.Invoke(CrowdWatchCli.Create(Console.In, Console.Out, Console.Error, Serve), args, Console.Out, Console.Error);
