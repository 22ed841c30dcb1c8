using CrowdWatch.Geo.Privacy;

namespace CrowdWatch.Geo.Tests.Privacy;

public class PrivacyTests
{
    [Fact]
    public void Pseudonyms_are_stable_for_a_key_differ_between_keys_and_hide_the_id()
    {
        var a = new Pseudonymiser(PseudonymKey.Parse("key-one-0123456789abcdef"));
        var b = new Pseudonymiser(PseudonymKey.Parse("key-two-0123456789abcdef"));
        var raw = "IMEI-861234567890123"u8;

        var p = a.Pseudonym(raw);
        Assert.Equal(p, a.Pseudonym(raw));
        Assert.NotEqual(p, b.Pseudonym(raw));
        Assert.NotEqual(p, a.Pseudonym("IMEI-861234567890124"u8));
        Assert.Matches("^[0-9a-f]{32}$", p);
        Assert.DoesNotContain("861234567890123", p, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_or_malformed_keys_are_refused()
    {
        Assert.Contains("at least 16", Assert.Throws<ArgumentException>(() => PseudonymKey.Parse("short")).Message, StringComparison.Ordinal);
        Assert.Contains("base64", Assert.Throws<ArgumentException>(() => PseudonymKey.Parse("base64:***")).Message, StringComparison.Ordinal);
        Assert.False(PseudonymKey.Parse("base64:" + Convert.ToBase64String(new byte[32])).IsEphemeral);
        Assert.True(PseudonymKey.Ephemeral().IsEphemeral);
    }

    [Fact]
    public void Device_directory_gives_one_index_per_device_and_reuses_indices_of_idle_devices()
    {
        var directory = new DeviceDirectory(new Pseudonymiser(PseudonymKey.Parse("directory-key-0123456789")));
        var a = directory.Resolve("device-a"u8, 1_000, out var newA);
        var b = directory.Resolve("device-b"u8, 5_000, out var newB);
        Assert.Equal(a, directory.Resolve("device-a"u8, 2_000, out var again));
        Assert.True(newA && newB && !again);
        Assert.NotEqual(a, b);

        Assert.Equal(1, directory.EvictIdle(3_000)); // a was last seen at 2 000
        Assert.Equal(1, directory.Count);
        var c = directory.Resolve("device-c"u8, 6_000, out var newC);
        Assert.True(newC);
        Assert.Equal(a, c); // the freed index is reused
        Assert.Equal(directory.PseudonymOf("device-c"u8), directory.PseudonymOf(c));
    }

    [Fact]
    public void Cells_below_k_are_low_density_with_no_number()
    {
        double[] people = [0, 9.99, 10, 250];
        double[] walkable = [100, 100, 100, 50];

        var view = ViewerDensity.From(people, walkable, new KThreshold(10));

        Assert.Equal(3, view.Count);
        Assert.True(view[0].IsLowDensity);
        Assert.Null(view[0].People);
        Assert.Null(view[0].Density);
        Assert.Equal(new ViewerDensity(2, 10, 0.1), view[1]);
        Assert.Equal(new ViewerDensity(3, 250, 5), view[2]);
        Assert.Equal("LOW_DENSITY", KThreshold.LowDensity);
        Assert.True(KThreshold.Default.Suppresses(9));
        Assert.False(KThreshold.Default.Suppresses(10));
    }

    [Fact]
    public void The_k_floor_applies_to_distinct_devices_below_a_panel_factor_of_one_and_to_people_above_it()
    {
        // One phone in ten is seen: 10 "people" are one device.
        var tenth = new KThreshold(10, panelFactor: 0.1);
        Assert.True(tenth.Suppresses(10));
        Assert.True(tenth.Suppresses(99));
        Assert.False(tenth.Suppresses(100));
        // Two devices a person: 8 people are 16 devices, still fewer than 10 people.
        var double_ = new KThreshold(10, panelFactor: 2);
        Assert.True(double_.Suppresses(8));
        Assert.False(double_.Suppresses(10));
        Assert.True(tenth.Suppresses(double.NaN));
        // Counted devices where known: the smaller group decides.
        Assert.True(KThreshold.Default.Suppresses(people: 40, devices: 4));
        Assert.False(KThreshold.Default.Suppresses(people: 40, devices: 12));
        // The heat map of viewers: a cell of one device under a factor of 0.1 shows no number.
        var view = ViewerDensity.From([10, 120], [100, 100], tenth);
        Assert.True(view[0].IsLowDensity);
        Assert.Equal(120, view[1].People);
    }

    [Fact]
    public void Each_channel_is_floored_by_the_group_it_counts_devices_by_devices_searches_as_queries_the_rest_as_people()
    {
        var k = new KThreshold(10, panelFactor: 0.3);
        // 5 devices are 16.7 people: too few devices, whatever the estimate.
        Assert.True(k.SuppressesChannel("devices", 5));
        Assert.False(k.SuppressesChannel("devices", 10));
        // 12 people estimated from 3.6 devices: too few devices behind the number.
        Assert.True(k.SuppressesChannel("people", 12));
        Assert.False(k.SuppressesChannel("people", 40));
        // Searches are counted as they are, the panel factor has nothing to do with them.
        Assert.True(k.SuppressesChannel("search", 9));
        Assert.False(k.SuppressesChannel("search", 10));
    }
}
