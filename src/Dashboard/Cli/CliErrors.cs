namespace CrowdWatch.Dashboard.Cli;

/// <summary>Turns the errors a user can cause into one clear line and exit code 2, never a stack trace.</summary>
internal static class CliErrors
{
    public static int Run(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or UnauthorizedAccessException
            or System.Data.Common.DbException)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
