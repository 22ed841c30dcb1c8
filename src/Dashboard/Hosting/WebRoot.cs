namespace CrowdWatch.Dashboard.Hosting;

/// <summary>
/// Where the web map's files are: <c>CrowdWatch:WebRoot</c> if set; else a <c>wwwroot</c> with an index.html in the
/// working folder (<c>dotnet run --project src/Dashboard</c> runs there) or beside the program (a published copy);
/// else the source tree's <c>src/Dashboard/wwwroot</c> above the program (tests run from the build output).
/// </summary>
public static class WebRoot
{
    /// <summary>The folder, or null where none has an index.html.</summary>
    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        foreach (var candidate in new[] { Path.Combine(Directory.GetCurrentDirectory(), "wwwroot"), Path.Combine(AppContext.BaseDirectory, "wwwroot") })
            if (File.Exists(Path.Combine(candidate, "index.html"))) return candidate;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var source = Path.Combine(dir.FullName, "src", "Dashboard", "wwwroot");
            if (File.Exists(Path.Combine(source, "index.html"))) return source;
        }

        return null;
    }
}
