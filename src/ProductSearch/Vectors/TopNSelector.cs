namespace ProductSearch.Vectors;

/// <summary>
/// Keeps the N best candidates seen so far in a bounded max-heap keyed on a score where lower is better:
/// O(count log N) and no allocation per candidate, instead of sorting every distance.
/// </summary>
internal struct TopNSelector
{
    private readonly float[] _scores;
    private readonly int[] _rows;
    private int _count;

    public TopNSelector(int capacity)
    {
        _scores = new float[capacity];
        _rows = new int[capacity];
        _count = 0;
    }

    public readonly int Count => _count;

    /// <summary>The worst score kept, or +infinity while the heap is not full: a candidate must beat it.</summary>
    public readonly float Threshold => _count < _scores.Length ? float.PositiveInfinity : _scores[0];

    public void Offer(int row, float score)
    {
        if (_count < _scores.Length)
        {
            var i = _count++;
            _scores[i] = score;
            _rows[i] = row;
            SiftUp(i);
        }
        else if (score < _scores[0] || (score == _scores[0] && row < _rows[0]))
        {
            _scores[0] = score;
            _rows[0] = row;
            SiftDown(0);
        }
    }

    /// <summary>How many kept scores still beat the worst one kept (<see cref="Threshold"/>) with <paramref name="margin"/> added.</summary>
    public readonly int CountBetterByMargin(float margin)
    {
        var (count, worst) = (0, Threshold);
        for (var i = 0; i < _count; i++)
        {
            count += _scores[i] + margin < worst ? 1 : 0;
        }

        return count;
    }

    /// <summary>The i-th kept row, in heap order (not sorted).</summary>
    public readonly int RowAt(int i) => _rows[i];

    /// <summary>The score of <see cref="RowAt"/>(i).</summary>
    public readonly float ScoreAt(int i) => _scores[i];

    /// <summary>Offers every kept candidate to another selector: merges the heaps of a parallel scan.</summary>
    public readonly void OfferAllTo(ref TopNSelector destination)
    {
        for (var i = 0; i < _count; i++)
        {
            destination.Offer(_rows[i], _scores[i]);
        }
    }

    // Ties on score break by row so results are deterministic: the larger row counts as worse.
    private readonly bool Worse(int a, int b) =>
        _scores[a] > _scores[b] || (_scores[a] == _scores[b] && _rows[a] > _rows[b]);

    private readonly void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Worse(i, parent))
            {
                return;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private readonly void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= _count)
            {
                return;
            }

            var worst = left + 1 < _count && Worse(left + 1, left) ? left + 1 : left;
            if (!Worse(worst, i))
            {
                return;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private readonly void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_rows[a], _rows[b]) = (_rows[b], _rows[a]);
    }
}
