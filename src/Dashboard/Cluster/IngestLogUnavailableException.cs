namespace CrowdWatch.Dashboard.Cluster;

/// <summary>The ingest log could not take a post (Redis is away or refused it): nothing of the post is acknowledged.</summary>
public sealed class IngestLogUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IngestLogUnavailableException() : base("the ingest log is unavailable")
    {
    }

    /// <summary>Creates the exception with its reason.</summary>
    public IngestLogUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public IngestLogUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
