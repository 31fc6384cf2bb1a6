extension RandomAccessCollection {
    /// The first index whose element satisfies `belongs`, for a predicate that is false then true.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Index {
        var low = startIndex
        var high = endIndex
        while low != high {
            let mid = index(low, offsetBy: distance(from: low, to: high) / 2)
            if belongs(self[mid]) { high = mid } else { low = index(after: mid) }
        }
        return low
    }
}
