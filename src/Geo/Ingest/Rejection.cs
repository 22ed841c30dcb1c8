namespace CrowdWatch.Geo.Ingest;

/// <summary>One row that was not accepted, and why.</summary>
/// <param name="File">The input file.</param>
/// <param name="Line">1-based line number (0 for the file as a whole).</param>
/// <param name="Field">The field at fault, e.g. <c>lat</c>, or <c>header</c>, <c>line</c>.</param>
/// <param name="Reason">A short stable reason code, e.g. <c>out-of-range</c>, counted in the summary.</param>
/// <param name="Detail">What was wrong and what was expected. Never contains a raw device id or an accepted coordinate.</param>
public sealed record Rejection(string File, long Line, string Field, string Reason, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Field}: {Reason}: {Detail}";
}
