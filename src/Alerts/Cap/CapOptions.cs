namespace CrowdWatch.Alerts.Cap;

/// <summary>Who publishes the CAP messages and how they are labelled.</summary>
public sealed record CapOptions
{
    /// <summary>The sender, unique to the publisher (CAP <c>sender</c>), for example <c>crowdwatch@chongqing.example.org</c>.</summary>
    public string Sender { get; init; } = "crowdwatch@localhost";

    /// <summary>Display name of the sender in Chinese.</summary>
    public string SenderNameZh { get; init; } = "CrowdWatch 人群安全预警";

    /// <summary>Display name of the sender in English.</summary>
    public string SenderNameEn { get; init; } = "CrowdWatch crowd safety warnings";

    /// <summary>CAP <c>status</c>: Actual, Exercise or Test.</summary>
    public string Status { get; init; } = "Actual";

    /// <summary>
    /// The public base URL of the dashboard as the readers of the CAP feed reach it (behind a proxy, its public name);
    /// each message's <c>web</c> is <c>{WebBase}/alerts/{id}</c>, a page with the alert's state and history.
    /// </summary>
    public string WebBase { get; init; } = "http://localhost:5000";

    /// <summary>The page of alert <paramref name="id"/>: <c>{WebBase}/alerts/{id}</c>.</summary>
    public string AlertPage(Guid id) => $"{WebBase.TrimEnd('/')}/alerts/{id}";

    /// <summary>Who to contact about the warnings (CAP <c>contact</c>).</summary>
    public string Contact { get; init; } = "CrowdWatch duty desk";

    /// <summary>Whether the values make sense; otherwise why not.</summary>
    public bool IsValid(out string? reason)
    {
        reason =
            string.IsNullOrWhiteSpace(Sender) || Sender.Any(c => c is ' ' or ',' or '<' or '&') ? "Sender must be non-empty without spaces, commas, '<' or '&'" :
            Status is not ("Actual" or "Exercise" or "Test") ? "Status must be Actual, Exercise or Test" :
            !Uri.TryCreate(WebBase, UriKind.Absolute, out _) ? "WebBase must be an absolute URL" :
            null;
        return reason is null;
    }
}
