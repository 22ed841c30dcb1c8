using CrowdWatch.Alerts.Cap;
using CrowdWatch.Alerts.Delivery;
using CrowdWatch.Alerts.Lifecycle;
using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Playbooks;
using CrowdWatch.Alerts.Risk;
using CrowdWatch.Alerts.Triggers;
using CrowdWatch.Dashboard.Alerting;
using CrowdWatch.Storage;

namespace CrowdWatch.Dashboard.Tests.Alerting;

/// <summary>Alert events of a crowd building up in a few test squares, and a journal that records them into a real store.</summary>
internal static class AlertFixture
{
    public static readonly DateTimeOffset Start = new(2025, 10, 1, 18, 0, 0, TimeSpan.FromHours(8));
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static Place Square(int i) => new($"zone:square-{i}", $"测试广场{i}", $"Test square {i}",
        [(29.56, 106.57 + (i * 0.01)), (29.56, 106.575 + (i * 0.01)), (29.565, 106.575 + (i * 0.01)), (29.56, 106.57 + (i * 0.01))]);

    /// <summary>Per square, a crowd going Yellow, Orange, Red over three slots: three events each (raise, two updates).</summary>
    public static List<AlertChange> Evening(int squares)
    {
        var book = new AlertBook("test");
        var changes = new List<AlertChange>();
        double[] people = [2100, 3200, 4200];
        for (var slot = 0; slot < people.Length; slot++)
        {
            var at = Start.AddMinutes(15 * slot).ToUnixTimeMilliseconds();
            var assessments = Enumerable.Range(0, squares).Select(i => TriggerEvaluation.Evaluate(
                new PlaceSlot(Square(i), at, 15, people[slot], [], 1000, null, LevelThresholds.Default, double.NaN, [], null), new TriggerRules()));
            changes.AddRange(book.Assess(assessments, at + (15 * 60_000)));
        }

        return changes;
    }

    public static Task<Store> StoreAsync(string dir) => Stores.OpenAsync(new StoreOptions { DataDirectory = dir }, null);

    public static AlertJournal Journal(Store store, params Recipient[] recipients) =>
        new(store.Alerts, store.Audit, Playbook.Default, new CapOptions(), () => recipients, Shanghai, 60);
}
