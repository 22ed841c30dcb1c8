namespace CrowdWatch.Forecast.Evaluation;

/// <summary>Running sums of one model's scores at one horizon, so a backtest need not keep every forecast.</summary>
internal sealed class HorizonTally
{
    private double _squared, _absolute, _percent, _winkler, _brier;
    private int _pairs, _unforecast, _percentPairs, _intervals, _in80, _in90, _in95, _brierCount;

    public void Add(double actual, double mean, double low80, double high80, double low90, double high90, double low95, double high95)
    {
        if (double.IsNaN(actual)) return;
        if (double.IsNaN(mean))
        {
            _unforecast++;
            return;
        }

        var e = actual - mean;
        _squared += e * e;
        _absolute += Math.Abs(e);
        _pairs++;
        if (actual > Scores.MapeFloor)
        {
            _percent += Math.Abs(e) / actual;
            _percentPairs++;
        }

        if (double.IsNaN(low90) || double.IsNaN(high90)) return;
        _intervals++;
        if (actual >= low80 && actual <= high80) _in80++;
        if (actual >= low90 && actual <= high90) _in90++;
        if (actual >= low95 && actual <= high95) _in95++;
        const double alpha = 0.1;
        _winkler += (high90 - low90) + (actual < low90 ? 2 / alpha * (low90 - actual) : 0) + (actual > high90 ? 2 / alpha * (actual - high90) : 0);
    }

    public void AddBrier(double probability, bool happened)
    {
        if (double.IsNaN(probability)) return;
        var d = probability - (happened ? 1 : 0);
        _brier += d * d;
        _brierCount++;
    }

    public BacktestScore Score(string model, int horizon)
    {
        static double Ratio(double a, int n) => n == 0 ? double.NaN : a / n;
        return new BacktestScore(model, horizon, Math.Sqrt(Ratio(_squared, _pairs)), Ratio(_absolute, _pairs), 100 * Ratio(_percent, _percentPairs), _pairs,
            Ratio(_in80, _intervals), Ratio(_in90, _intervals), Ratio(_in95, _intervals), Ratio(_winkler, _intervals), Ratio(_brier, _brierCount), _unforecast);
    }
}
