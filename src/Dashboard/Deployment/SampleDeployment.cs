namespace CrowdWatch.Dashboard.Deployment;

/// <summary>Finds the sample city's deployment file shipped in the repository.</summary>
public static class SampleDeployment
{
    /// <summary>Its path relative to the repository root.</summary>
    public const string RelativePath = "data/samples/chongqing/deployment.json";

    /// <summary>
    /// The sample deployment: looked for in the working directory and its parents, then beside the executable and
    /// its parents, so <c>dotnet run</c> from any folder of the checkout finds it.
    /// </summary>
    public static string Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate)) return candidate;
            }
        }

        return RelativePath;
    }
}
