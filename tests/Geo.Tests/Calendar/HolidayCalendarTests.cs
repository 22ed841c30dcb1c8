using CrowdWatch.Geo.Calendar;
using CrowdWatch.Geo.Zones;

namespace CrowdWatch.Geo.Tests.Calendar;

public class HolidayCalendarTests
{
    private const string Json = """
        {
          // 2025's National Day and Mid-Autumn, as announced
          "holidays": [
            { "name_en": "National Day", "name_zh": "国庆节", "from": "2025-10-01", "to": "2025-10-08", "workdays": ["2025-09-28", "2025-10-11"] },
            { "name_en": "broken", "from": "2025-13-01", "to": "2025-10-08" }
          ],
          "events": [
            { "name_en": "light-up", "zone": "hongyadong", "daily": true, "start": "19:00", "end": "22:30", "attendance": 3000 },
            { "name_en": "countdown", "zone": "jiefangbei", "from": "2025-12-31", "to": "2025-12-31", "start": "22:00", "end": "00:30", "attendance": 80000 },
            { "name_en": "no zone", "daily": true, "start": "19:00", "end": "20:00", "attendance": 1 }
          ]
        }
        """;

    [Fact]
    public void Adjusted_working_days_and_holidays_override_the_weekday()
    {
        var problems = new List<LayerProblem>();
        var calendar = CalendarReader.Read(Json, "calendar.json", problems);
        Assert.Equal(DayKind.Workday, calendar.KindOf(new DateOnly(2025, 9, 28)));  // a Sunday made a working day
        Assert.Equal(DayKind.Holiday, calendar.KindOf(new DateOnly(2025, 10, 1)));  // a Wednesday off
        Assert.Equal(DayKind.Holiday, calendar.KindOf(new DateOnly(2025, 10, 4)));  // a Saturday inside the holiday
        Assert.Equal(DayKind.Workday, calendar.KindOf(new DateOnly(2025, 10, 11))); // a Saturday made a working day
        Assert.Equal(DayKind.Weekend, calendar.KindOf(new DateOnly(2025, 10, 12)));
        Assert.Equal(DayKind.Workday, calendar.KindOf(new DateOnly(2025, 10, 9)));
        Assert.Equal(3, calendar.DaysToHoliday(new DateOnly(2025, 9, 28)));
        Assert.Equal(4, calendar.DayIntoHoliday(new DateOnly(2025, 10, 4)));
        Assert.Equal(0, calendar.DayIntoHoliday(new DateOnly(2025, 10, 9)));
    }

    [Fact]
    public void Bad_entries_are_named_and_skipped_and_the_rest_is_read()
    {
        var problems = new List<LayerProblem>();
        var calendar = CalendarReader.Read(Json, "calendar.json", problems);
        Assert.Single(calendar.Holidays);
        Assert.Equal(2, calendar.Events.Count);
        Assert.Contains(problems, p => p.Feature == "holidays[1]" && p.Problem.Contains("'from'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Feature == "events[2]" && p.Problem.Contains("'zone'", StringComparison.Ordinal));
    }

    [Fact]
    public void Events_run_on_their_dates_and_past_midnight()
    {
        var calendar = CalendarReader.Read(Json, "calendar.json", []);
        Assert.Equal(["light-up"], calendar.EventsOn(new DateOnly(2025, 10, 2)).Select(e => e.NameEn));
        Assert.Equal(["light-up", "countdown"], calendar.EventsOn(new DateOnly(2025, 12, 31)).Select(e => e.NameEn));
        Assert.Equal(TimeSpan.FromMinutes(150), calendar.Events[1].Duration);
    }
}
