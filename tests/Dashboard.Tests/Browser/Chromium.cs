using Microsoft.Playwright;

namespace CrowdWatch.Dashboard.Tests.Browser;

/// <summary>
/// Debian's Chromium, found on PATH and driven by Playwright (never <c>playwright install</c>): WebGL through
/// SwiftShader, since the test machines have no GPU. A missing <c>chromium</c> fails the browser tests.
/// </summary>
internal static class Chromium
{
    /// <summary>The chromium executable on PATH.</summary>
    public static string Executable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "chromium");
            if (File.Exists(candidate)) return candidate;
        }

        throw new InvalidOperationException("chromium is not on PATH: install Debian's chromium package (scripts/test.sh does)");
    }

    /// <summary>Starts Chromium headless.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable(),
            Headless = true,
            Args = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots go: <c>TestResults/screenshots</c> at the repository root (or the working folder).</summary>
    public static string ScreenshotPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrowdWatch.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? Directory.GetCurrentDirectory(), "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
