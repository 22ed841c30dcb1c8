using CrowdWatch.Alerts.Places;
using CrowdWatch.Alerts.Risk;

namespace CrowdWatch.Alerts.Tests;

/// <summary>Places and slots for the tests: a zone of 1 000 walkable m² and a capacity of 3 000.</summary>
internal static class Places
{
    public const int SlotMinutes = 15;
    public static readonly long Start = new DateTimeOffset(2025, 10, 1, 18, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    public static readonly Place Square = new("zone:square", "测试广场", "Test square",
        [(29.56, 106.57), (29.56, 106.58), (29.57, 106.58), (29.57, 106.57), (29.56, 106.57)]);

    public static long Slot(int i) => Start + (i * SlotMinutes * 60_000L);

    public static PlaceSlot At(int slot, double people, double[]? before = null, double? capacity = 3000, Outlook? outlook = null,
        double search = double.NaN, double[]? searchSameSlot = null, Place? place = null) =>
        new(place ?? Square, Slot(slot), SlotMinutes, people, before ?? [], 1000, capacity, LevelThresholds.Default, search, searchSameSlot ?? [], outlook);

    /// <summary>An outlook whose every horizon gives the same probabilities of Blue..Red.</summary>
    public static Outlook Flat(int slot, double mean, params double[] probabilities) =>
        new(Slot(slot + 1), SlotMinutes, [.. Enumerable.Repeat(mean, 8)], [.. Enumerable.Repeat(mean * 0.8, 8)], [.. Enumerable.Repeat(mean * 1.2, 8)],
            [.. Enumerable.Range(0, 8).Select(_ => probabilities)]);
}
