using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Delivery;

/// <summary>Someone or something to notify: on a channel, at an address, for some places from a level, at an escalation stage.</summary>
/// <param name="Channel">The channel: <c>webhook</c>, <c>sms</c> or <c>email</c>.</param>
/// <param name="Address">A URL for a webhook, a phone number for SMS, a mailbox for e-mail.</param>
/// <param name="Places">Place ids it is for (for example <c>zone:hongyadong</c>), or <c>*</c> for all.</param>
/// <param name="From">The lowest level it hears about.</param>
/// <param name="Stage">The escalation stage it belongs to: 0 hears at once, 1 when nobody acknowledged in time, ...</param>
/// <param name="Language"><c>zh</c> or <c>en</c>, for texts.</param>
public sealed record Recipient(string Channel, string Address, IReadOnlyList<string> Places, RiskLevel From = RiskLevel.Blue, int Stage = 0, string Language = "zh")
{
    /// <summary>Whether it hears about <paramref name="placeId"/> at <paramref name="level"/>.</summary>
    public bool Covers(string placeId, RiskLevel level) => level >= From && Places.Any(p => p == "*" || p == placeId);
}
