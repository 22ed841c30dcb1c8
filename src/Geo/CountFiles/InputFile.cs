using System.IO.Compression;

namespace CrowdWatch.Geo.CountFiles;

/// <summary>Opens an input file for reading, through gzip when its name ends in .gz.</summary>
public static class InputFile
{
    /// <summary>The file's content as a stream; disposing it closes the file.</summary>
    public static Stream OpenRead(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
