"""Dashboard pages (not named pages/: with st.navigation a pages/ folder switches Streamlit to its old
multipage mode, and reruns skip the entry file): they only draw."""
