"""The browser benchmark's floor: a bare Streamlit app, four small Plotly bar charts and
one sidebar radio (bench/bench_browser.py runs it interleaved with the tracker).

What any Streamlit page with four charts costs on this machine: the server's start,
the page's scripts, a script run, four figures serialised, sent and drawn. The radio
("Group dates by", the tracker's label and values) changes every chart, so a click is a
full rerun that redraws all four; each chart's title names the grouping, as the
tracker's timeline title does, so the benchmark can tell the new state is drawn.

    streamlit run bench/floor_app.py
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")
by = st.sidebar.radio("Group dates by", ["day", "week", "month"], index=1, horizontal=True)
bars = {"day": 30, "week": 12, "month": 6}[by]
st.title("Floor app")
for i, name in enumerate(["Timeline", "Target types", "Actors", "Places"]):
    fig = go.Figure(
        go.Bar(
            x=[f"{name[0]}{k}" for k in range(bars)],
            y=[(k * 7 + i * 3) % 11 + 1 for k in range(bars)],
        )
    )
    fig.update_layout(title=f"{name} (per {by})", height=320, margin=dict(t=50, b=40, l=40, r=20))
    st.plotly_chart(fig, key=f"chart_{i}")
