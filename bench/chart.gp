# SPDX-License-Identifier: MIT
# chart.gp - docs/scaling.svg from the bench's BENCH_DATA file (make chart).
set terminal svg size 760,520 font "sans,11" background "white" noenhanced
set output "docs/scaling.svg"
set title "get+put pairs (tables: lookup+get+put), aggregate throughput"
set xlabel "threads on one object (tables: one table, random keys)"
set ylabel "million pairs per second (log)"
set logscale y
set xrange [0.8:2.2]
set xtics 1
set key outside right
set grid ytics
# The default colours repeat after eight series.
set linetype 9 linecolor rgb "#8c564b"
set linetype 10 linecolor rgb "#e377c2"
set linetype 11 linecolor rgb "#7f7f7f"
set linetype 12 linecolor rgb "#bcbd22"
blocks = system("grep -c '^\"' build/bench/chart.dat")
plot for [i=0:blocks-1] "build/bench/chart.dat" index i using 1:2 \
	with linespoints linetype i + 1 linewidth 2 title columnheader(1)
