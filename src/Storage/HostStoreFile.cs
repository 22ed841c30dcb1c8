using System.Diagnostics;
using System.Text.Json;

namespace CrowdWatch.Storage;

/// <summary>
/// Where a running host keeps its embedded store, written beside the default store while the host runs
/// (<c>~/.local/share/crowdwatch/host.json</c>) and removed when it stops: the command line's verbs open that store
/// when no store is named, so that a key issued while the main job runs is a key the running host knows.
/// </summary>
/// <param name="ProcessId">The host's process.</param>
/// <param name="DataDirectory">Its embedded store's folder.</param>
/// <param name="StartedMs">When it started, Unix ms.</param>
public sealed record HostStoreFile(int ProcessId, string DataDirectory, long StartedMs)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The file's default place: beside the default store.</summary>
    public static string DefaultPath => Path.Combine(Path.GetDirectoryName(StoreOptions.DefaultDataDirectory)!, "host.json");

    /// <summary>Writes this host's entry to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the entry at <paramref name="path"/> if this process wrote it.</summary>
    public static void Remove(string path)
    {
        if (Read(path) is { } entry && entry.ProcessId == Environment.ProcessId) File.Delete(path);
    }

    /// <summary>The running host's entry at <paramref name="path"/>; null when there is none or its process is gone.</summary>
    public static HostStoreFile? Running(string path)
    {
        if (Read(path) is not { } entry) return null;
        try
        {
            using var p = Process.GetProcessById(entry.ProcessId);
            return p.HasExited ? null : entry;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static HostStoreFile? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<HostStoreFile>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
